"""URLs of a school's roster: administration pages and imports (split by sub-domain)."""

from .admin_urls import urlpatterns as admin_patterns
from .import_urls import urlpatterns as import_patterns

app_name = "people"
urlpatterns = [*admin_patterns, *import_patterns]
