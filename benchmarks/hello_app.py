"""A bare Flask "hello" app: the yardstick ``home_ratio.py`` measures the home page against."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
