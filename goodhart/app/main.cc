#include <cstdio>
int main() { std::puts("goodhart"); return 0; }
