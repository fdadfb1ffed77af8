"""The ``melt-course`` command line and the servers it starts (JupyterLab, the Voila app). The top
layer, with ``melt_course.notebook``.
"""
