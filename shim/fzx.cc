// shim/fzx.cc - see shim/fzx.h.  Every exported function catches all
// exceptions: Xapian throws, C cannot unwind.
#include "shim/fzx.h"

#include <xapian.h>

extern "C" const char *fzx_xapian_version(void) noexcept
{
    return Xapian::version_string();
}
