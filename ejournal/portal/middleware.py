"""Attach `request.actor` and `request.role_choices` for the active role.

Roles and actors come from the per-user cache (`actors.UserAccess`), so a
signed-in request normally pays no query here. A POST to the admin site may
change anything that defines access (a school's district, the current
academic year, appointments…), so it forgets everybody's cached access.
"""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from ejournal.access.generation import access_changed
from ejournal.access.policy import ANONYMOUS

from .actors import UserAccess

SESSION_KEY = "active_role"


def _active_choice(request, preferred: str | None = None):
    """The role chosen in this session; else the one the user chose last; else the first one."""
    choices = request.role_choices
    if not choices:
        return None
    wanted = request.session.get(SESSION_KEY) or preferred
    for choice in choices:
        if choice.key == wanted:
            return choice
    return choices[0]


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        if request.user.is_authenticated:
            access = UserAccess(request.user)
            request.role_choices = access.choices
            request.active_role = _active_choice(request, access.preferred)
            request.actor = SimpleLazyObject(lambda: access.actor(request.active_role))
        else:
            request.role_choices = []
            request.active_role = None
            request.actor = ANONYMOUS
        response = self.get_response(request)
        if request.method == "POST" and self._is_admin(request):
            access_changed()
        return response

    def _is_admin(self, request) -> bool:
        if not (request.user.is_authenticated and request.user.is_staff):
            return False
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return request.path_info.startswith(self._admin_prefix)
