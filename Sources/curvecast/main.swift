print("curvecast")
