#include "saguard/support/Error.h"

namespace saguard {
char LocatedError::ID = 0;
} // namespace saguard
