"""Attach `request.actor` and `request.role_choices` for the active role."""

from django.utils.functional import SimpleLazyObject

from ejournal.access.policy import ANONYMOUS

from .actors import actor_build, role_choices

SESSION_KEY = "active_role"


def _active_choice(request):
    choices = request.role_choices
    if not choices:
        return None
    wanted = request.session.get(SESSION_KEY)
    for choice in choices:
        if choice.key == wanted:
            return choice
    return choices[0]


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            request.role_choices = role_choices(request.user)
            request.active_role = _active_choice(request)
            request.actor = SimpleLazyObject(lambda: actor_build(request.user, request.active_role))
        else:
            request.role_choices = []
            request.active_role = None
            request.actor = ANONYMOUS
        return self.get_response(request)
