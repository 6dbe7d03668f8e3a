"""Secrets for destination LRSs, encrypted at rest with Fernet (``cryptography``).

We must present the secret to the destination, so unlike LRS clients' secrets it cannot be
hashed. The key is derived from SECRET_KEY: a database dump alone does not reveal the secrets.
Rotating SECRET_KEY makes stored secrets unreadable; the admin then asks for them again.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(ValueError):
    """The stored secret cannot be decrypted (SECRET_KEY changed): enter it again."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"tracking.lrs-destination:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def secret_encrypt(*, secret: str) -> str:
    """The Fernet token for a secret."""
    return _fernet().encrypt(secret.encode()).decode()


def secret_decrypt(*, token: str) -> str:
    """The secret from its token; raises SecretUnreadable if SECRET_KEY has changed."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "the stored secret cannot be read (SECRET_KEY changed?): enter it again"
        ) from None
