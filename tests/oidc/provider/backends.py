"""Log in to the test provider with a user name and password from the users file."""

import hmac
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import User

from tests.oidc.provider.users import user_entry


class UsersFileBackend(BaseBackend):
    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        entry = user_entry(username)
        if entry is None or not hmac.compare_digest(entry["password"], password or ""):
            return None
        user, _created = User.objects.get_or_create(username=username)
        return user

    def get_user(self, user_id: int) -> User | None:
        return User.objects.filter(pk=user_id).first()
