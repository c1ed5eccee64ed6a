// growthd: the per-user daemon behind growthctl.
#include <cstdio>

#include "growth/version.hpp"

int main() {
    std::printf("growthd %s\n", growth::version);
    return 0;
}
