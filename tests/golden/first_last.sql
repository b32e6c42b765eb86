SELECT Device, first(Model), last(Model), first(Model, true) AS fm, last_value(upper(Model)) AS lu, first_value(Device) AS fd, count(*) AS n FROM activity GROUP BY Device
