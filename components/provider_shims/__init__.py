"""Stand-ins for six generated provider resource classes, which cost seconds to import.

Why: the generated classes of two providers cost more to import than the rest of the program
takes to run. `import pulumi_cloudflare` runs its package `__init__`, which imports every one
of its ~780 modules (about 1.2 s here), and the first use of a `pulumi_gcp.compute` class loads
that module's ~1,500 classes (about 0.7 s). The program needs three resource types of each.

What the engine receives is the same: a resource class is a front end to one RegisterResource
request, and these classes send the request the generated class sends (type token, engine
property names, provider version and plugin download URL, aliases, secret outputs, source
position). `tests/components/test_provider_shims.py` runs the real program for every stack
twice, once with these classes and once with the generated ones in their place, and compares
every request field by field.

Each stand-in takes the generated class's keyword arguments (snake_case, nested values in the
generated `...ArgsDict` shape) and exposes its outputs under the same names, so replacing
`cloudflare.DnsRecord` by `pulumi_cloudflare.DnsRecord` (or `gcp_compute.Network` by
`pulumi_gcp.compute.Network`) is a change of import only.
"""
