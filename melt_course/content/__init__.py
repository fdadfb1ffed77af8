"""What the course teaches, as data: loading and validating the JSON in ``melt_course/data``
(bibliography, glossary, course map, evidence labels, anatomy, routines, safety screen,
quizzes). Pure Python; the bottom layer.
"""
