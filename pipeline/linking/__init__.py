"""Linking: spaCy components that normalise mention forms and link mentions to table rows.

* :mod:`.forms` — ``hanlink_forms``: ``hanja`` and ``forms`` of every mention;
* :mod:`.linker` — ``hanlink_linker``: candidates scored in context, NIL below a threshold.
"""
