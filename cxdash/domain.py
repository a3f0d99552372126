"""The domain's fixed vocabulary (see docs: brand promise, experience providers, themes)."""

# Schmitt's seven experience providers: the channels through which experience is delivered.
PROVIDERS: tuple[str, ...] = (
    "Communications",
    "Visual and verbal identity",
    "Product presence",
    "Co-branding",
    "Spatial environments",
    "Websites and electronic media",
    "People",
)

# The ten experience themes customer needs are analysed along.
THEMES: tuple[str, ...] = (
    "trust",
    "convenience",
    "promise",
    "respect",
    "autonomy",
    "choice",
    "knowledge",
    "recognition",
    "benefit",
    "identity",
)
