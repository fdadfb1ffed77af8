# Written by melt-course app --lan: sign login cookies with the class folder's secret.
from pathlib import Path

c.Voila.cookie_secret = Path('/work/wt/workshop/melt-class-progress/.app-cookie-secret').read_text(encoding='ascii').strip().encode('ascii')
