// core/error.hpp is header-only; this file keeps growth_core non-empty until more lands.
#include "core/error.hpp"
