"""The schema's migrations, oldest first; each is a package module so that an installed pulje ships them."""
