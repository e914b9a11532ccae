"""The test provider's own pieces: users and their claims from a JSON file the tests write."""
