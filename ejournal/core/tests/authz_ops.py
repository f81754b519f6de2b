"""Access expectations for the operators' URLs (see ejournal/tests/test_authorization.py)."""

AUTHZ = {
    "healthz": {"public": True},
    "readyz": {"public": True},
    "metrics": {"public": True},
}
