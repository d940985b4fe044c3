import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiyuan.settings")
application = get_wsgi_application()
# Move everything loaded so far out of the garbage collector's sight: full collections then
# scan only what requests create, which keeps the till's slowest quotes fast (bench/quote.py).
gc.collect()
gc.freeze()
