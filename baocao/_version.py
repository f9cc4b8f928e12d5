"""The one place baocao's version is written.

hatch reads it when building (pyproject.toml: ``dynamic = ["version"]``), and baocao
imports it: reading the installed metadata instead cost 19 ms of every one-shot render
(``importlib.metadata`` pulls in the email parser), and knew nothing in a checkout.
"""

__version__ = "0.1.0"
