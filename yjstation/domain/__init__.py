"""The domain: what the county's plan says, as typed views and pure functions over loaded records.

The county (`county`: townships, villages, targets), stations (`stations`), fee red lines and schedules
(`fees`), the eight rollout steps (`rollout`), the training plan (`training`), a station's dated life
(`history`: which stations, stationmaster and agreement were in force on a day), the monthly reporting
cycle (`reporting`), the policy views shared by every holder of the policy files (`policy`), and
resident ID numbers as python-stdnum checks them (`cnid`, which reads stdnum's table of division codes as
stdnum does). A new policy value goes into `data/policy/` and is read here; nothing in this layer asks
the clock or touches the repository.

May import: `yjstation.foundation` and `yjstation.loading`.
"""
