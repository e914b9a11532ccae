from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Feil brukernavn eller passord."),
        "inactive": _("Kontoen er deaktivert. Ta kontakt med din leder."),
    }

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Brukernavn")
        self.fields["password"].label = _("Passord")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Engangskode"),
        min_length=6,
        max_length=6,
        help_text=_("Sekssifret kode fra autentiseringsappen."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
        error_messages={
            "required": _("Skriv inn engangskoden."),
            "min_length": _("Koden har seks siffer."),
            "max_length": _("Koden har seks siffer."),
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Koden har bare siffer."))
        return token


class LagetPasswordChangeForm(PasswordChangeForm):
    pass


class ReauthForm(forms.Form):
    """The password again, and the code when the user has an authenticator."""

    password = forms.CharField(label=_("Passord"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}),
                               error_messages={"required": _("Skriv inn passordet.")})

    def __init__(self, *args, user, with_token: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.user = user
        if with_token:
            self.fields["token"] = TokenForm.base_fields["token"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Feil passord."))
        return password

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Koden har bare siffer."))
        return token
