"""The demo catalogue's vocabulary: categories, items and brands in English, Simplified Chinese and Korean.

`seed_demo` combines every item with several brands to make 1,000+ products. Korean words are chosen from the
shipped Vosk Korean model's vocabulary so that every product can be asked for by voice.
"""

from __future__ import annotations

from typing import NamedTuple


class Words(NamedTuple):
    en: str
    zh_hans: str
    ko: str


class CategorySpec(NamedTuple):
    slug: str
    name: Words
    items: tuple[Words, ...]
    specs: tuple[tuple[str, tuple[str, ...]], ...]  # (spec name, possible values)


W = Words

BRANDS: tuple[Words, ...] = (
    W("Sunny", "阳光", "썬샤인"),
    W("Ocean", "海洋", "오션"),
    W("Green Field", "绿野", "새싹"),
    W("Blue Sky", "蓝天", "스카이"),
    W("Hometown", "故乡", "엄마손"),
    W("Morning", "早晨", "아침이슬"),
    W("Mountain", "青山", "히말라야"),
    W("Star", "星星", "코스모스"),
)

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("fruit", W("Fruit", "水果", "과실"), (
        W("Apples", "苹果", "사과"), W("Bananas", "香蕉", "바나나"), W("Oranges", "橙子", "오렌지"),
        W("Grapes", "葡萄", "거봉"), W("Strawberries", "草莓", "스트로베리"), W("Pears", "梨", "나주배"),
        W("Peaches", "桃子", "복숭아"), W("Watermelon", "西瓜", "수박"), W("Mangoes", "芒果", "망고"),
        W("Lemons", "柠檬", "레몬"), W("Kiwis", "猕猴桃", "키위"), W("Cherries", "樱桃", "버찌"),
        W("Persimmons", "柿子", "홍시"), W("Tangerines", "橘子", "밀감"),
    ), (("Origin", ("Korea", "Spain", "Chile", "New Zealand")), ("Weight", ("500 g", "1 kg", "2 kg")),
        ("Storage", ("Refrigerate", "Room temperature")))),
    CategorySpec("vegetables", W("Vegetables", "蔬菜", "야채"), (
        W("Cabbage", "白菜", "절임배추"), W("Radish", "萝卜", "무"), W("Carrots", "胡萝卜", "당근"),
        W("Potatoes", "土豆", "감자"), W("Sweet Potatoes", "红薯", "고구마"), W("Onions", "洋葱", "적양파"),
        W("Garlic", "大蒜", "깐마늘"), W("Cucumbers", "黄瓜", "백오이"), W("Tomatoes", "西红柿", "토마토"),
        W("Spinach", "菠菜", "시금치"), W("Pumpkin", "南瓜", "호박"), W("Mushrooms", "蘑菇", "버섯"),
        W("Chili Peppers", "辣椒", "고추"), W("Lettuce", "生菜", "쌈채소"),
    ), (("Origin", ("Korea", "China", "Local farm")), ("Weight", ("300 g", "500 g", "1 kg")),
        ("Organic", ("Yes", "No")))),
    CategorySpec("dairy", W("Dairy and Eggs", "乳制品和鸡蛋", "유제품"), (
        W("Milk", "牛奶", "우유"), W("Yogurt", "酸奶", "요거트"), W("Cheese", "奶酪", "치즈"),
        W("Butter", "黄油", "버터"), W("Cream", "奶油", "크림"), W("Eggs", "鸡蛋", "왕란"),
        W("Soy Milk", "豆浆", "검은콩두유"), W("Ice Cream", "冰淇淋", "아이스크림"),
        W("Chocolate Milk", "巧克力牛奶", "초코 우유"), W("Banana Milk", "香蕉牛奶", "바나나 우유"),
        W("Strawberry Milk", "草莓牛奶", "딸기 우유"), W("Goat Milk", "羊奶", "염소젖"),
    ), (("Volume", ("200 ml", "500 ml", "1 l")), ("Fat", ("Whole", "Low fat", "Skimmed")),
        ("Storage", ("Refrigerate at 0-10 °C",)))),
    CategorySpec("meat-fish", W("Meat and Fish", "肉类和海鲜", "고기 생선"), (
        W("Beef", "牛肉", "한우"), W("Pork", "猪肉", "삼겹살"), W("Chicken", "鸡肉", "닭고기"),
        W("Duck", "鸭肉", "오리고기"), W("Salmon", "三文鱼", "연어"), W("Tuna", "金枪鱼", "참치"),
        W("Mackerel", "鲭鱼", "고등어"), W("Shrimp", "虾", "새우"), W("Squid", "鱿鱼", "오징어"),
        W("Crab", "螃蟹", "게"), W("Oysters", "牡蛎", "굴"), W("Anchovies", "鳀鱼", "멸치"),
    ), (("Origin", ("Korea", "Australia", "Norway")), ("Weight", ("300 g", "500 g", "1 kg")),
        ("Storage", ("Frozen", "Chilled")))),
    CategorySpec("bakery", W("Bakery", "烘焙", "베이커리"), (
        W("Bread", "面包", "식빵"), W("Croissants", "羊角面包", "크루아상"), W("Bagels", "贝果", "베이글"),
        W("Cake", "蛋糕", "케이크"), W("Cookies", "饼干", "쿠키"), W("Doughnuts", "甜甜圈", "도넛"),
        W("Muffins", "松饼", "컵케이크"), W("Rice Cakes", "年糕", "인절미"), W("Waffles", "华夫饼", "와플"),
        W("Pie", "派", "파이"), W("Castella", "长崎蛋糕", "카스텔라"), W("Baguette", "法棍", "바게뜨"),
    ), (("Weight", ("200 g", "400 g", "600 g")), ("Baked", ("Daily", "Twice daily")),
        ("Allergens", ("Wheat, milk, eggs", "Wheat", "Wheat, nuts")))),
    CategorySpec("drinks", W("Drinks", "饮料", "음료"), (
        W("Water", "矿泉水", "생수"), W("Green Tea", "绿茶", "말차"), W("Coffee", "咖啡", "커피"),
        W("Orange Juice", "橙汁", "오렌지 주스"), W("Apple Juice", "苹果汁", "사과 주스"),
        W("Cola", "可乐", "제로콜라"), W("Cider", "汽水", "사이다"), W("Barley Tea", "大麦茶", "보리차"),
        W("Ginseng Tea", "人参茶", "인삼차"), W("Lemonade", "柠檬水", "레모네이드"),
        W("Sparkling Water", "气泡水", "탄산수"), W("Hot Chocolate", "热巧克力", "코코아"),
    ), (("Volume", ("250 ml", "500 ml", "1.5 l")), ("Pack", ("1 bottle", "6 bottles", "12 bottles")),
        ("Sugar", ("No sugar", "Low sugar", "Regular")))),
    CategorySpec("snacks", W("Snacks", "零食", "스낵"), (
        W("Chocolate", "巧克力", "밀크초콜릿"), W("Potato Chips", "薯片", "감자스낵"), W("Crackers", "苏打饼干", "비스킷"),
        W("Candy", "糖果", "사탕"), W("Jelly", "果冻", "젤리"), W("Popcorn", "爆米花", "팝콘"),
        W("Almonds", "杏仁", "아몬드"), W("Peanuts", "花生", "땅콩"), W("Walnuts", "核桃", "호두"),
        W("Seaweed Snack", "海苔", "김"), W("Chewing Gum", "口香糖", "껌"), W("Dried Mango", "芒果干", "말린 망고"),
    ), (("Weight", ("50 g", "150 g", "300 g")), ("Flavour", ("Original", "Spicy", "Sweet")),
        ("Allergens", ("None declared", "Nuts", "Milk, soy")))),
    CategorySpec("rice-noodles", W("Rice and Noodles", "米和面", "쌀 국수"), (
        W("White Rice", "白米", "이천쌀"), W("Brown Rice", "糙米", "현미"), W("Ramen", "拉面", "라면"),
        W("Buckwheat Noodles", "荞麦面", "모밀"), W("Udon", "乌冬面", "우동"),
        W("Spaghetti", "意大利面", "파스타"), W("Glass Noodles", "粉丝", "잡채"), W("Oats", "燕麦", "오트"),
        W("Flour", "面粉", "밀가루"), W("Dumplings", "饺子", "왕만두"), W("Rice Porridge", "粥", "전복죽"),
        W("Cereal", "麦片", "콘플레이크"),
    ), (("Weight", ("500 g", "1 kg", "5 kg")), ("Origin", ("Korea", "Italy", "Japan")),
        ("Cooking time", ("3 minutes", "10 minutes", "20 minutes")))),
    CategorySpec("kitchen", W("Kitchen", "厨房用品", "부엌"), (
        W("Frying Pan", "煎锅", "후라이팬"), W("Pot", "汤锅", "냄비"), W("Kitchen Knife", "菜刀", "식칼"),
        W("Cutting Board", "砧板", "나무도마"), W("Rice Cooker", "电饭煲", "밥솥"), W("Kettle", "水壶", "주전자"),
        W("Spoon", "勺子", "밥숟가락"), W("Chopsticks", "筷子", "나무젓가락"), W("Bowl", "碗", "그릇"),
        W("Cup", "杯子", "컵"), W("Plate", "盘子", "접시"), W("Lunch Box", "饭盒", "도시락"),
    ), (("Material", ("Stainless steel", "Ceramic", "Wood", "Glass")), ("Size", ("Small", "Medium", "Large")),
        ("Dishwasher safe", ("Yes", "No")))),
    CategorySpec("health", W("Health", "健康", "건강"), (
        W("Vitamins", "维生素", "비타민"), W("Red Ginseng", "红参", "홍삼"), W("Omega 3", "欧米伽3", "오메가"),
        W("Masks", "口罩", "마스크"), W("Thermometer", "体温计", "체온계"), W("Bandages", "绷带", "밴드"),
        W("Hand Cream", "护手霜", "로션"), W("Sunscreen", "防晒霜", "자외선차단제"), W("Toothbrush", "牙刷", "전동칫솔"),
        W("Toothpaste", "牙膏", "치약"), W("Shampoo", "洗发水", "샴푸"), W("Soap", "肥皂", "비누"),
    ), (("Contents", ("30 count", "60 count", "90 count", "200 ml")), ("Made in", ("Korea", "Germany", "USA")),
        ("Suitable for", ("Adults", "Everyone", "Over 60s")))),
    CategorySpec("home", W("Home and Cleaning", "家居清洁", "생활용품"), (
        W("Towels", "毛巾", "수건"), W("Tissues", "纸巾", "화장지"), W("Detergent", "洗衣液", "세제"),
        W("Rubber Gloves", "橡胶手套", "위생장갑"), W("Broom", "扫帚", "빗자루"), W("Blanket", "毯子", "담요"),
        W("Pillow", "枕头", "베개"), W("Slippers", "拖鞋", "슬리퍼"), W("Umbrella", "雨伞", "우산"),
        W("Light Bulb", "灯泡", "전구"), W("Batteries", "电池", "건전지"), W("Candle", "蜡烛", "양초"),
    ), (("Pack", ("1 piece", "3 pieces", "10 pieces")), ("Colour", ("White", "Blue", "Grey")),
        ("Material", ("Cotton", "Plastic", "Rubber")))),
    CategorySpec("clothing", W("Clothing", "服装", "의복"), (
        W("T-shirt", "T恤", "티셔츠"), W("Jeans", "牛仔裤", "진바지"), W("Jacket", "夹克", "점퍼"),
        W("Coat", "大衣", "바바리"), W("Socks", "袜子", "양말"), W("Gloves", "手套", "벙어리장갑"),
        W("Scarf", "围巾", "머플러"), W("Hat", "帽子", "모자"), W("Sneakers", "运动鞋", "운동화"),
        W("Pajamas", "睡衣", "잠옷"), W("Sweater", "毛衣", "니트"), W("Vest", "背心", "조끼"),
    ), (("Size", ("S", "M", "L", "XL")), ("Material", ("Cotton", "Wool", "Polyester")),
        ("Care", ("Machine wash 30 °C", "Hand wash")))),
    CategorySpec("electronics", W("Electronics", "电子产品", "전자제품"), (
        W("Radio", "收音机", "라디오"), W("Headphones", "耳机", "헤드폰"), W("Phone Charger", "手机充电器", "보조배터리"),
        W("Hair Dryer", "吹风机", "헤어드라이어"), W("Electric Fan", "电风扇", "선풍기"), W("Desk Lamp", "台灯", "스탠드"),
        W("Clock", "时钟", "시계"), W("Speaker", "音箱", "오디오"), W("Camera", "相机", "카메라"),
        W("Heater", "暖风机", "히터"), W("Blender", "搅拌机", "믹서기"), W("Remote Control", "遥控器", "리모컨"),
    ), (("Power", ("5 W", "20 W", "1200 W")), ("Warranty", ("1 year", "2 years")),
        ("Colour", ("Black", "White", "Silver")))),
    CategorySpec("gift-cards", W("Gift Cards", "礼品卡", "상품권"), (
        W("Gift Card", "礼品卡", "상품권"), W("Flower Voucher", "鲜花券", "꽃 상품권"),
        W("Book Voucher", "图书券", "도서상품권"),
    ), (("Valid for", ("1 year", "5 years")), ("Delivery", ("Email", "Post")))),
)
