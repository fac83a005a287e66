"""One module per workload family; each builds its graphs once per API from the same code."""
