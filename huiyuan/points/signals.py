"""Signals other apps listen to (tiers upgrades at once on points earned)."""

import django.dispatch

# Sent inside the transaction, with member= and entry= (a PointsEntry), after every positive
# earning (kinds in models.EARNING_KINDS): a purchase, a bonus, a check-in.
points_earned = django.dispatch.Signal()
