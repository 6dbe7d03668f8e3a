from tests.accounts.oidc.fixtures import (  # noqa: F401
    oidc_provider,
    oidc_provider_dir,
    start_oidc_provider,
)
