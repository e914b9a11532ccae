"""Synthetic names for demo persons: common given names and family names in Oslo, combined at
random. Any likeness to a real person is chance; every demo person is marked synthetic."""

GIVEN_NAMES = [
    "Adam", "Ahmed", "Ali", "Amir", "Anders", "Aksel", "Bilal", "Daniel", "Elias", "Emil",
    "Filip", "Hamza", "Henrik", "Ibrahim", "Isak", "Jakob", "Jonas", "Kasper", "Liam", "Lukas",
    "Magnus", "Mohamed", "Muhammad", "Noah", "Omar", "Oskar", "Sander", "Theo", "Tobias", "Yusuf",
    "Aisha", "Amina", "Anna", "Ella", "Emma", "Fatima", "Frida", "Hanna", "Ida", "Ingrid",
    "Leah", "Maja", "Maryam", "Nora", "Olivia", "Sara", "Selma", "Sofie", "Yasmin", "Zainab",
]
FAMILY_NAMES = [
    "Ahmed", "Ali", "Andersen", "Bakken", "Berg", "Dahl", "Eriksen", "Haugen", "Hansen", "Hassan",
    "Hussain", "Iversen", "Johansen", "Karlsen", "Khan", "Kristiansen", "Larsen", "Lund",
    "Mohamed", "Moen", "Nguyen", "Nilsen", "Nowak", "Olsen", "Pedersen", "Rahman", "Solberg",
    "Strand", "Tran", "Warsame", "Yilmaz", "Aden", "Jensen", "Kowalski", "Farah",
]
ADULT_GIVEN_NAMES = [
    "Abdi", "Anne", "Bente", "Farhan", "Hilde", "Jan", "Kari", "Khadija", "Lars", "Linda",
    "Mariam", "Nadia", "Ole", "Per", "Randi", "Said", "Samira", "Tor", "Trude", "Zahra",
]
