from .content_security import INLINE_SCRIPTS, content_security_policy, register, script_hash

__all__ = ["INLINE_SCRIPTS", "content_security_policy", "register", "script_hash"]
