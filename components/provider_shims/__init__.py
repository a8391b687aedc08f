"""Stand-ins for generated provider resource classes and one provider function, which cost
seconds to import.

Why: the generated classes of two providers cost more to import than the rest of the program
takes to run. `import pulumi_cloudflare` runs its package `__init__`, which imports every one
of its ~780 modules (about 1.2 s here), and the first use of a `pulumi_gcp.compute` class loads
that module's ~1,500 classes (about 0.7 s). The program needs three Cloudflare and ten Compute
resource types, and Cloudflare's zone lookup (`get_zone_output`).

What the engine receives is the same: a resource class is a front end to one RegisterResource
request, and these classes send the request the generated class sends (type token, engine
property names, provider version and plugin download URL, aliases, secret outputs, source
position); likewise a provider function is a front end to one Invoke request, and the stand-in
sends the generated function's (token, engine argument names, provider version and plugin
download URL). `tests/components/test_provider_shims.py` runs the real program for every stack
twice, once with these and once with the generated ones in their place, and compares every
registration and invoke request field by field.

Each stand-in takes the generated class's keyword arguments (snake_case, nested values in the
generated `...ArgsDict` shape) and exposes its outputs under the same names, so replacing
`cloudflare.DnsRecord` by `pulumi_cloudflare.DnsRecord` (or `gcp_compute.Network` by
`pulumi_gcp.compute.Network`, `cloudflare.get_zone_output` by
`pulumi_cloudflare.get_zone_output`) is a change of import only.
"""
