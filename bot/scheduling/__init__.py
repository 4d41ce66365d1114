"""Time: the scheduler (APScheduler as the alarm clock), persistent timers, meeting schedules
and the planner that arms a forum's steps, durations as people write them, and the jobs that
timers run, named by kind (`kinds.JobKind`)."""
