/*
 * Timers that end in signals: the interval timers (alarm, setitimer: signal/itimer.c)
 * and the POSIX per-process timers (timer_create: signal/posix_timer.c). The main loop
 * drives both through itimer_next_deadline() and itimer_fire_expired() (signal.h).
 */
#ifndef UMLINUX_SIGNAL_TIMERS_H
#define UMLINUX_SIGNAL_TIMERS_H
#include "kernel/kernel.h"

/* CPU-time clocks cannot be waited on; they are sampled this often while in use. */
#define CPU_CLOCK_POLL_NS 10000000ULL

/* A process ends (all its timers go) or execs (its POSIX timers go, itimers stay). */
void timers_exit(struct thread_group *tg);
void timers_exec(struct thread_group *tg);

/* POSIX timers, for the itimer code that drives the loop. mono_now is CLOCK_MONOTONIC;
 * cpu_poll says CPU-time clocks are due for a sample. */
void posix_timers_fire(uint64_t mono_now, bool cpu_poll);
/* The earliest wall-clock expiry as a CLOCK_MONOTONIC time (0: none); *cpu_armed is set
 * when a CPU-time timer is armed. */
uint64_t posix_timers_next_deadline(uint64_t mono_now, bool *cpu_armed);
void posix_timers_exit(struct thread_group *tg);

#endif
