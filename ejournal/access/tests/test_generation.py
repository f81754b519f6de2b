import pytest

from ejournal.access.generation import access_changed, access_generation

# access_changed registers its second bump with the transaction.
pytestmark = pytest.mark.django_db


def test_generation_is_stable_until_a_change():
    assert access_generation(1) == access_generation(1)


def test_a_users_change_leaves_other_users_alone():
    first, second = access_generation(1), access_generation(2)
    access_changed([1, None])
    assert access_generation(1) != first
    assert access_generation(2) == second


def test_a_change_of_everybody_reaches_every_user():
    first, second = access_generation(1), access_generation(2)
    access_changed()
    assert access_generation(1) != first
    assert access_generation(2) != second


def test_no_users_named_changes_nothing():
    first = access_generation(1)
    access_changed([None])
    assert access_generation(1) == first


def test_a_lost_generation_never_comes_back():
    from django.core.cache import cache

    first = access_generation(1)
    cache.clear()
    assert access_generation(1) != first


def test_the_generation_moves_again_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        access_changed([1])
        inside = access_generation(1)
    assert len(callbacks) == 1
    callbacks[0]()
    assert access_generation(1) != inside
