"""growth's publishing sandbox: one local HTTP server faking seven platforms' publishing APIs."""
