"""Which answers a browser or a proxy may keep. Every answer is `no-store` (`NoStoreMiddleware`) unless its view
says it shows no personal data with `free_of_personal_data`: a page that forgets to say so is merely not cached,
while a page with personal data that forgot to forbid caching would stay on a shared office computer or in a
proxy (ADR 0011)."""

from django.views.decorators.cache import cache_control

# May be kept by the browser (back button, bfcache), revalidated each time; never by a shared cache, since the
# header of every page differs for a logged-in officer and the forms carry a CSRF token.
free_of_personal_data = cache_control(private=True, no_cache=True)
