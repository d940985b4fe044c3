from huiyuan.staff.scope import stores_for

SESSION_KEY = "current_store_id"


class CurrentStoreMiddleware:
    """Sets `request.store`: the store an operator works in now (chosen in the store selector)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.store = None
        request.operator_stores = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            stores = list(stores_for(user))
            chosen = request.session.get(SESSION_KEY) or user.default_store_id
            request.operator_stores = stores
            request.store = next(
                (s for s in stores if s.pk == chosen), stores[0] if stores else None
            )
        return self.get_response(request)
