"""The computations the lessons teach with: the psoas model, the balance model, the startle
timeline, the routine player's clock. Pure Python and numpy; imports only ``content``.
"""
