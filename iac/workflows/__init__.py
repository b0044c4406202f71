"""The workflows the commands run: plan an environment (`planning`), check it (`checking`), apply or destroy it
(`applying`). Each is a library call that puts the lower parts together (synth, config, state, diff, plan,
policy, apply, sandbox); a command parses its options, calls one of them and prints. Nothing here prints:
what the user should see comes back as values or goes through a `warn` callback.

Import them from their modules; this package imports nothing eagerly.
"""
