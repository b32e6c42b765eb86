SELECT gt, model, avg(x), avg(y), avg(z) FROM activity GROUP BY CUBE(gt, model)
