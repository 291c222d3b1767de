"""A backend plugin that cannot be imported: it needs a library nobody has installed."""

raise ImportError("ccm_broken needs the 'imaginary-pdf-engine' library, which is not installed")
