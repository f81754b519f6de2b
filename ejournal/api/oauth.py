"""The OAuth2/OIDC validator: which claims an ID token and /userinfo carry.

`sub` is the account's id (stable, never reused); names and e-mail only with
the `profile` / `email` scopes, as OIDC Core §5.4 says.
"""

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = request.user
        return {
            "name": user.get_full_name(),
            "family_name": user.last_name,
            "given_name": user.first_name,
            "middle_name": user.middle_name,
            "preferred_username": user.username,
            "email": user.email,
            "email_verified": False,
        }
