"""The importers' entry points, kept at their old place (the formats live in `estimates.imports`)."""

from compute_advisor.estimates.imports import Imported, ImportProblem, MetricsOptions, import_workload, with_metrics

__all__ = ["ImportProblem", "Imported", "MetricsOptions", "import_workload", "with_metrics"]
