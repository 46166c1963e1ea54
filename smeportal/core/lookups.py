"""An integer `__in` lookup that ignores values outside the database's integer range.

Django treats an out-of-range integer in exact, lt, gt and the like as matching nothing
(ticket #27397), but not in `__in`: on SQLite a list of ids with one like 9223372036854775808
(posted to any form's multiple choice, which checks the ids with `pk__in`) raised OverflowError
and the page answered 500. Such a value cannot match a row, so it is dropped here; with nothing
left the lookup matches nothing, and the form reports an invalid choice.
"""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
