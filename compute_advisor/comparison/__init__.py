"""Between the engine and every entry point (pages, API, commands, wizard, reports): the snapshot and its
price book (with the one "no prices" check), cached pricing, and the Comparison they all render."""
