"""Finding a store and reading it into a validated `Library`.

A store is a folder holding `profile.yaml`, `themes.yaml` and `publications.yaml`. Which one is used:
`--store PATH`, else `$SCHOLAR_STORE`, else the user data folder (when it holds a store), else the
read-only default store embedded in the package.
"""

from scholarcli.store.load import (
    decode_text,
    load_library,
    open_store,
    parse_library,
    profile_problems,
    read_text,
)
from scholarcli.store.loaded import LoadedStore
from scholarcli.store.locate import (
    APP_NAME,
    PROFILE_FILE,
    PUBLICATIONS_FILE,
    STORE_ENV,
    STORE_FILES,
    THEMES_FILE,
    StoreLocation,
    embedded_store_path,
    is_store,
    leads_back_to_itself,
    locate_store,
    user_store_path,
)

__all__ = [
    "APP_NAME",
    "PROFILE_FILE",
    "PUBLICATIONS_FILE",
    "STORE_ENV",
    "STORE_FILES",
    "THEMES_FILE",
    "LoadedStore",
    "StoreLocation",
    "decode_text",
    "embedded_store_path",
    "is_store",
    "leads_back_to_itself",
    "load_library",
    "locate_store",
    "open_store",
    "parse_library",
    "profile_problems",
    "read_text",
    "user_store_path",
]
