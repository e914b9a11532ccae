"""Who the browser tests log in as."""

#: The same TOTP key for every test user: totp_current_token() gives the code the app expects.
TOTP_KEY = "3132333435363738393031323334353637383930"

#: Laget's roles, each with the agency its test user belongs to: (agency type, district).
ROLE_AGENCIES: dict[str, tuple[str, str | None]] = {
    "caseworker": ("bydel", "030111"),
    "coordinator": ("bydel", "030111"),
    "leader": ("bydel", "030111"),
    "analyst": ("by", None),
    "auditor": ("by", None),
    "admin": ("by", None),
    "prosecutor": ("politi", None),
}
