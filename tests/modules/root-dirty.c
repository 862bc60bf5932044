// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper: leave the root's registers dirty on one CPU, as a Linux
 * process would, before that CPU goes to a cell.  "root-dirty CPU" runs a
 * child pinned to CPU that fills x87, SSE, MXCSR and, where Linux enabled
 * them, AVX and AVX-512 registers with the byte 0x5a (x87: FLDPI, FCW
 * 0x27f; MXCSR 0x9f80) and spins refilling them; the parent traces it and
 * sets a write watchpoint through ptrace, so Linux loads DR0 (and DR7)
 * while the child runs there.  Then both are unpinned (the driver takes
 * no CPU a task is pinned to), but the child keeps running where it is
 * until the CPU goes offline.  Linux saves none of this away from the
 * CPU when it migrates the child: the registers keep it, which is what a
 * cell must never see.  The child prints "root-dirty: cpuN pid P: ...
 * set" when it is; SIGTERM to the parent kills both.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define DR7_L0_WRITE_1BYTE	0x10001UL	/* L0, R/W0 = write, LEN0 = 1 */

static volatile char watched;
static const uint64_t pattern[8] __attribute__((aligned(64))) = {
	0x5a5a5a5a5a5a5a5aULL, 0x5a5a5a5a5a5a5a5aULL, 0x5a5a5a5a5a5a5a5aULL,
	0x5a5a5a5a5a5a5a5aULL, 0x5a5a5a5a5a5a5a5aULL, 0x5a5a5a5a5a5a5a5aULL,
	0x5a5a5a5a5a5a5a5aULL, 0x5a5a5a5a5a5a5a5aULL,
};
static pid_t child;

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* 0: SSE only, 1: AVX, 2: AVX-512 as well (CPU and Linux's XCR0). */
static int vector_level(void)
{
	unsigned int a, b, c, d;
	uint64_t xcr0;

	__cpuid(1, a, b, c, d);
	if (!(c & bit_OSXSAVE) || !(c & bit_AVX))
		return 0;
	xcr0 = xgetbv0();
	if ((xcr0 & 6) != 6)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b & bit_AVX512F) && (xcr0 & 0xe6) == 0xe6 ? 2 : 1;
}

#define XMM(n) "movdqu (%0), %%xmm" #n "\n\t"
#define YMM(n) "vbroadcastsd (%0), %%ymm" #n "\n\t"
#define ZMM(n) "vbroadcastsd (%0), %%zmm" #n "\n\t"
#define X8(m, a) m(a##0) m(a##1) m(a##2) m(a##3) m(a##4) m(a##5) m(a##6) m(a##7)

static void fill(int level)
{
	static const uint16_t fcw = 0x27f;
	static const uint32_t mxcsr = 0x9f80;

	asm volatile("fninit\n\t"
		     "fldcw %0\n\t"
		     "fldpi\n\tfldpi\n\tfldpi\n\tfldpi\n\t"
		     "fldpi\n\tfldpi\n\tfldpi\n\tfldpi\n\t"
		     "ldmxcsr %1" : : "m"(fcw), "m"(mxcsr));
	asm volatile(XMM(0) XMM(1) XMM(2) XMM(3) XMM(4) XMM(5) XMM(6) XMM(7)
		     XMM(8) XMM(9) XMM(10) XMM(11) XMM(12) XMM(13) XMM(14)
		     XMM(15) : : "r"(pattern));
	if (level == 1)
		asm volatile(YMM(0) YMM(1) YMM(2) YMM(3) YMM(4) YMM(5) YMM(6)
			     YMM(7) YMM(8) YMM(9) YMM(10) YMM(11) YMM(12)
			     YMM(13) YMM(14) YMM(15) : : "r"(pattern));
	if (level == 2)
		asm volatile(ZMM(0) ZMM(1) ZMM(2) ZMM(3) ZMM(4) ZMM(5) ZMM(6)
			     ZMM(7) ZMM(8) ZMM(9) ZMM(10) ZMM(11) ZMM(12)
			     ZMM(13) ZMM(14) ZMM(15) ZMM(16) ZMM(17) ZMM(18)
			     ZMM(19) ZMM(20) ZMM(21) ZMM(22) ZMM(23) ZMM(24)
			     ZMM(25) ZMM(26) ZMM(27) ZMM(28) ZMM(29) ZMM(30)
			     ZMM(31) : : "r"(pattern));
}

/* Every CPU, so that the driver may take this one (it refuses pinned tasks). */
static void unpin(void)
{
	cpu_set_t set;
	long i, n = sysconf(_SC_NPROCESSORS_CONF);

	CPU_ZERO(&set);
	for (i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * Traced, stopped until the parent set DR0; then unpinned, but still
 * running on the CPU: a single busy task is not moved to an idle CPU,
 * only taking the CPU offline moves it.
 */
static void __attribute__((noreturn)) child_main(int level)
{
	static const char *const levels[] = { "", " avx", " avx avx512" };

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
		_exit(1);
	raise(SIGSTOP);
	fill(level);
	unpin();
	fill(level);
	printf("root-dirty: cpu%d pid %d: x87 sse mxcsr%s dr0 0x%lx set\n",
	       sched_getcpu(), (int)getpid(), levels[level],
	       (unsigned long)&watched);
	fflush(stdout);
	for (;;)
		fill(level);
}

static void stop(int sig)
{
	(void)sig;
	kill(child, SIGKILL);
	_exit(0);
}

int main(int argc, char **argv)
{
	int cpu, level, status;
	cpu_set_t set;

	if (argc != 2) {
		fprintf(stderr, "usage: root-dirty CPU\n");
		return 2;
	}
	cpu = atoi(argv[1]);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("root-dirty: sched_setaffinity");
		return 1;
	}
	level = vector_level();
	child = fork();
	if (child < 0)
		return 1;
	if (!child)
		child_main(level);
	signal(SIGTERM, stop);
	if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status) ||
	    ptrace(PTRACE_POKEUSER, child,
		   offsetof(struct user, u_debugreg[0]), &watched) ||
	    ptrace(PTRACE_POKEUSER, child,
		   offsetof(struct user, u_debugreg[7]), DR7_L0_WRITE_1BYTE) ||
	    ptrace(PTRACE_CONT, child, NULL, NULL)) {
		perror("root-dirty: ptrace");
		kill(child, SIGKILL);
		return 1;
	}
	unpin();
	for (;;)
		pause();
}
