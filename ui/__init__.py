"""The app's panels, one module each; app.py puts them on the page. Only ui/ and app.py import streamlit."""
