"""Access expectations for journal URLs (see ejournal/tests/test_authorization.py).

The journal's pages come in a later step; its URLs get their lines here.
"""

AUTHZ: dict[str, dict] = {}
