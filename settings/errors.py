"""The one error bad stack config produces."""

from pulumi.errors import RunError


class SettingsError(RunError):
    """Bad stack config: one line naming the stack file, the key and the problem.

    A RunError, so the real CLI prints the message without a traceback.
    """

    def __init__(self, stack_file: str, key: str, problem: str) -> None:
        self.stack_file = stack_file
        self.key = key
        self.problem = problem
        super().__init__(f"{stack_file}: {key}: {problem}")
