"""Staff accounts: roles and scopes, the permission table, passwords (argon2id), the TOTP second factor (RFC 6238),
lockout and recovery codes. No Flask here; ``portal.web.staff_auth`` keeps the signed-in member of staff."""
