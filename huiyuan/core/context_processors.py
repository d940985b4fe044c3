from huiyuan import __version__
from huiyuan.core.navigation import navigation_for


def shell(request):
    """What the back-office layout needs on every page: navigation by role and the store."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"app_version": __version__}
    return {
        "app_version": __version__,
        "navigation": navigation_for(user, request.path),
        "current_store": getattr(request, "store", None),
        "operator_stores": getattr(request, "operator_stores", []),
    }
