"""The learner's own records: the progress store, spaced review and mastery, self-assessments. Pure
Python; imports only ``content`` and ``models``.
"""
