"""The compiler front end: parse, resolve, check, evaluate. See ``ccmlang`` for the pipeline."""
