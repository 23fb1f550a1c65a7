"""The demo catalogue's vocabulary: categories, items and brands in English, Simplified Chinese, Korean and Arabic,
and the words of its specifications, selling points and reviews in the same four languages.

`seed_demo` combines every item with several brands to make 1,000+ products. Korean words are chosen from the
shipped Vosk Korean model's vocabulary so that every product can be asked for by voice.
"""

from __future__ import annotations

from typing import NamedTuple


class Words(NamedTuple):
    en: str
    zh_hans: str
    ko: str
    ar: str


class CategorySpec(NamedTuple):
    slug: str
    name: Words
    items: tuple[Words, ...]
    specs: tuple[tuple[str, tuple[str, ...]], ...]  # (spec name, possible values)


W = Words

BRANDS: tuple[Words, ...] = (
    W("Sunny", "阳光", "썬샤인", "مشمس"),
    W("Ocean", "海洋", "오션", "المحيط"),
    W("Green Field", "绿野", "새싹", "الحقل الأخضر"),
    W("Blue Sky", "蓝天", "스카이", "السماء الزرقاء"),
    W("Hometown", "故乡", "엄마손", "بلدتي"),
    W("Morning", "早晨", "아침이슬", "الصباح"),
    W("Mountain", "青山", "히말라야", "الجبل"),
    W("Star", "星星", "코스모스", "النجمة"),
)

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "fruit",
        W("Fruit", "水果", "과일", "الفواكه"),
        (
            W("Apples", "苹果", "사과", "تفاح"),
            W("Bananas", "香蕉", "바나나", "موز"),
            W("Oranges", "橙子", "오렌지", "برتقال"),
            W("Grapes", "葡萄", "거봉", "عنب"),
            W("Strawberries", "草莓", "스트로베리", "فراولة"),
            W("Pears", "梨", "나주배", "كمثرى"),
            W("Peaches", "桃子", "복숭아", "خوخ"),
            W("Watermelon", "西瓜", "수박", "بطيخ"),
            W("Mangoes", "芒果", "망고", "مانجو"),
            W("Lemons", "柠檬", "레몬", "ليمون"),
            W("Kiwis", "猕猴桃", "키위", "كيوي"),
            W("Cherries", "樱桃", "버찌", "كرز"),
            W("Persimmons", "柿子", "홍시", "كاكا"),
            W("Tangerines", "橘子", "밀감", "يوسفي"),
        ),
        (
            ("Origin", ("Korea", "Spain", "Chile", "New Zealand")),
            ("Weight", ("500 g", "1 kg", "2 kg")),
            ("Storage", ("Refrigerate", "Room temperature")),
        ),
    ),
    CategorySpec(
        "vegetables",
        W("Vegetables", "蔬菜", "채소", "الخضروات"),
        (
            W("Cabbage", "白菜", "절임배추", "ملفوف"),
            W("Radish", "萝卜", "무", "فجل"),
            W("Carrots", "胡萝卜", "당근", "جزر"),
            W("Potatoes", "土豆", "감자", "بطاطس"),
            W("Sweet Potatoes", "红薯", "고구마", "بطاطا حلوة"),
            W("Onions", "洋葱", "적양파", "بصل"),
            W("Garlic", "大蒜", "깐마늘", "ثوم"),
            W("Cucumbers", "黄瓜", "백오이", "خيار"),
            W("Tomatoes", "西红柿", "토마토", "طماطم"),
            W("Spinach", "菠菜", "시금치", "سبانخ"),
            W("Pumpkin", "南瓜", "호박", "قرع"),
            W("Mushrooms", "蘑菇", "버섯", "فطر"),
            W("Chili Peppers", "辣椒", "고추", "فلفل حار"),
            W("Lettuce", "生菜", "쌈채소", "خس"),
        ),
        (
            ("Origin", ("Korea", "China", "Local farm")),
            ("Weight", ("300 g", "500 g", "1 kg")),
            ("Organic", ("Yes", "No")),
        ),
    ),
    CategorySpec(
        "dairy",
        W("Dairy and Eggs", "乳制品和鸡蛋", "유제품·달걀", "الألبان والبيض"),
        (
            W("Milk", "牛奶", "우유", "حليب"),
            W("Yogurt", "酸奶", "요거트", "زبادي"),
            W("Cheese", "奶酪", "치즈", "جبن"),
            W("Butter", "黄油", "버터", "زبدة"),
            W("Cream", "奶油", "크림", "قشطة"),
            W("Eggs", "鸡蛋", "왕란", "بيض"),
            W("Soy Milk", "豆浆", "검은콩두유", "حليب الصويا"),
            W("Ice Cream", "冰淇淋", "아이스크림", "آيس كريم"),
            W("Chocolate Milk", "巧克力牛奶", "초코 우유", "حليب بالشوكولاتة"),
            W("Banana Milk", "香蕉牛奶", "바나나 우유", "حليب بالموز"),
            W("Strawberry Milk", "草莓牛奶", "딸기 우유", "حليب بالفراولة"),
            W("Goat Milk", "羊奶", "염소젖", "حليب الماعز"),
        ),
        (
            ("Volume", ("200 ml", "500 ml", "1 l")),
            ("Fat", ("Whole", "Low fat", "Skimmed")),
            ("Storage", ("Refrigerate at 0-10 °C",)),
        ),
    ),
    CategorySpec(
        "meat-fish",
        W("Meat and Fish", "肉类和海鲜", "육류·생선", "اللحوم والأسماك"),
        (
            W("Beef", "牛肉", "한우", "لحم بقري"),
            W("Pork", "猪肉", "삼겹살", "لحم خنزير"),
            W("Chicken", "鸡肉", "닭고기", "دجاج"),
            W("Duck", "鸭肉", "오리고기", "بط"),
            W("Salmon", "三文鱼", "연어", "سلمون"),
            W("Tuna", "金枪鱼", "참치", "تونة"),
            W("Mackerel", "鲭鱼", "고등어", "ماكريل"),
            W("Shrimp", "虾", "새우", "روبيان"),
            W("Squid", "鱿鱼", "오징어", "حبار"),
            W("Crab", "螃蟹", "게", "سلطعون"),
            W("Oysters", "牡蛎", "굴", "محار"),
            W("Anchovies", "鳀鱼", "멸치", "أنشوفة"),
        ),
        (
            ("Origin", ("Korea", "Australia", "Norway")),
            ("Weight", ("300 g", "500 g", "1 kg")),
            ("Storage", ("Frozen", "Chilled")),
        ),
    ),
    CategorySpec(
        "bakery",
        W("Bakery", "烘焙", "베이커리", "المخبوزات"),
        (
            W("Bread", "面包", "식빵", "خبز"),
            W("Croissants", "羊角面包", "크루아상", "كرواسون"),
            W("Bagels", "贝果", "베이글", "بيغل"),
            W("Cake", "蛋糕", "케이크", "كعكة"),
            W("Cookies", "饼干", "쿠키", "بسكويت"),
            W("Doughnuts", "甜甜圈", "도넛", "دونات"),
            W("Muffins", "松饼", "컵케이크", "مافن"),
            W("Rice Cakes", "年糕", "인절미", "كعك الأرز"),
            W("Waffles", "华夫饼", "와플", "وافل"),
            W("Pie", "派", "파이", "فطيرة"),
            W("Castella", "长崎蛋糕", "카스텔라", "كعكة كاستيلا"),
            W("Baguette", "法棍", "바게뜨", "باغيت"),
        ),
        (
            ("Weight", ("200 g", "400 g", "600 g")),
            ("Baked", ("Daily", "Twice daily")),
            ("Allergens", ("Wheat, milk, eggs", "Wheat", "Wheat, nuts")),
        ),
    ),
    CategorySpec(
        "drinks",
        W("Drinks", "饮料", "음료", "المشروبات"),
        (
            W("Water", "矿泉水", "생수", "ماء"),
            W("Green Tea", "绿茶", "말차", "شاي أخضر"),
            W("Coffee", "咖啡", "커피", "قهوة"),
            W("Orange Juice", "橙汁", "오렌지 주스", "عصير برتقال"),
            W("Apple Juice", "苹果汁", "사과 주스", "عصير تفاح"),
            W("Cola", "可乐", "제로콜라", "كولا"),
            W("Cider", "汽水", "사이다", "مشروب غازي"),
            W("Barley Tea", "大麦茶", "보리차", "شاي الشعير"),
            W("Ginseng Tea", "人参茶", "인삼차", "شاي الجينسنغ"),
            W("Lemonade", "柠檬水", "레모네이드", "ليموناضة"),
            W("Sparkling Water", "气泡水", "탄산수", "ماء فوار"),
            W("Hot Chocolate", "热巧克力", "코코아", "شوكولاتة ساخنة"),
        ),
        (
            ("Volume", ("250 ml", "500 ml", "1.5 l")),
            ("Pack", ("1 bottle", "6 bottles", "12 bottles")),
            ("Sugar", ("No sugar", "Low sugar", "Regular")),
        ),
    ),
    CategorySpec(
        "snacks",
        W("Snacks", "零食", "간식", "الوجبات الخفيفة"),
        (
            W("Chocolate", "巧克力", "밀크초콜릿", "شوكولاتة"),
            W("Potato Chips", "薯片", "감자스낵", "رقائق البطاطس"),
            W("Crackers", "苏打饼干", "비스킷", "مقرمشات"),
            W("Candy", "糖果", "사탕", "حلوى"),
            W("Jelly", "果冻", "젤리", "جيلي"),
            W("Popcorn", "爆米花", "팝콘", "فشار"),
            W("Almonds", "杏仁", "아몬드", "لوز"),
            W("Peanuts", "花生", "땅콩", "فول سوداني"),
            W("Walnuts", "核桃", "호두", "جوز"),
            W("Seaweed Snack", "海苔", "김", "رقائق الأعشاب البحرية"),
            W("Chewing Gum", "口香糖", "껌", "علكة"),
            W("Dried Mango", "芒果干", "말린 망고", "مانجو مجففة"),
        ),
        (
            ("Weight", ("50 g", "150 g", "300 g")),
            ("Flavour", ("Original", "Spicy", "Sweet")),
            ("Allergens", ("None declared", "Nuts", "Milk, soy")),
        ),
    ),
    CategorySpec(
        "rice-noodles",
        W("Rice and Noodles", "米和面", "쌀·면", "الأرز والمعكرونة"),
        (
            W("White Rice", "白米", "이천쌀", "أرز أبيض"),
            W("Brown Rice", "糙米", "현미", "أرز بني"),
            W("Ramen", "拉面", "라면", "رامن"),
            W("Buckwheat Noodles", "荞麦面", "모밀", "نودلز الحنطة السوداء"),
            W("Udon", "乌冬面", "우동", "أودون"),
            W("Spaghetti", "意大利面", "파스타", "سباغيتي"),
            W("Glass Noodles", "粉丝", "잡채", "شعيرية زجاجية"),
            W("Oats", "燕麦", "오트", "شوفان"),
            W("Flour", "面粉", "밀가루", "طحين"),
            W("Dumplings", "饺子", "왕만두", "زلابية محشوة"),
            W("Rice Porridge", "粥", "전복죽", "عصيدة الأرز"),
            W("Cereal", "麦片", "콘플레이크", "حبوب الإفطار"),
        ),
        (
            ("Weight", ("500 g", "1 kg", "5 kg")),
            ("Origin", ("Korea", "Italy", "Japan")),
            ("Cooking time", ("3 minutes", "10 minutes", "20 minutes")),
        ),
    ),
    CategorySpec(
        "kitchen",
        W("Kitchen", "厨房用品", "주방용품", "أدوات المطبخ"),
        (
            W("Frying Pan", "煎锅", "후라이팬", "مقلاة"),
            W("Pot", "汤锅", "냄비", "قدر"),
            W("Kitchen Knife", "菜刀", "식칼", "سكين مطبخ"),
            W("Cutting Board", "砧板", "나무도마", "لوح تقطيع"),
            W("Rice Cooker", "电饭煲", "밥솥", "طباخة أرز"),
            W("Kettle", "水壶", "주전자", "غلاية"),
            W("Spoon", "勺子", "밥숟가락", "ملعقة"),
            W("Chopsticks", "筷子", "나무젓가락", "عيدان الأكل"),
            W("Bowl", "碗", "그릇", "وعاء"),
            W("Cup", "杯子", "컵", "كوب"),
            W("Plate", "盘子", "접시", "طبق"),
            W("Lunch Box", "饭盒", "도시락", "علبة غداء"),
        ),
        (
            ("Material", ("Stainless steel", "Ceramic", "Wood", "Glass")),
            ("Size", ("Small", "Medium", "Large")),
            ("Dishwasher safe", ("Yes", "No")),
        ),
    ),
    CategorySpec(
        "health",
        W("Health", "健康", "건강", "الصحة"),
        (
            W("Vitamins", "维生素", "비타민", "فيتامينات"),
            W("Red Ginseng", "红参", "홍삼", "جينسنغ أحمر"),
            W("Omega 3", "欧米伽3", "오메가", "أوميغا 3"),
            W("Masks", "口罩", "마스크", "كمامات"),
            W("Thermometer", "体温计", "체온계", "مقياس حرارة"),
            W("Bandages", "绷带", "밴드", "ضمادات"),
            W("Hand Cream", "护手霜", "로션", "كريم اليدين"),
            W("Sunscreen", "防晒霜", "자외선차단제", "واقي الشمس"),
            W("Toothbrush", "牙刷", "전동칫솔", "فرشاة أسنان"),
            W("Toothpaste", "牙膏", "치약", "معجون أسنان"),
            W("Shampoo", "洗发水", "샴푸", "شامبو"),
            W("Soap", "肥皂", "비누", "صابون"),
        ),
        (
            ("Contents", ("30 count", "60 count", "90 count", "200 ml")),
            ("Made in", ("Korea", "Germany", "USA")),
            ("Suitable for", ("Adults", "Everyone", "Over 60s")),
        ),
    ),
    CategorySpec(
        "home",
        W("Home and Cleaning", "家居清洁", "생활용품", "المنزل والتنظيف"),
        (
            W("Towels", "毛巾", "수건", "مناشف"),
            W("Tissues", "纸巾", "화장지", "مناديل"),
            W("Detergent", "洗衣液", "세제", "منظف غسيل"),
            W("Rubber Gloves", "橡胶手套", "위생장갑", "قفازات مطاطية"),
            W("Broom", "扫帚", "빗자루", "مكنسة"),
            W("Blanket", "毯子", "담요", "بطانية"),
            W("Pillow", "枕头", "베개", "وسادة"),
            W("Slippers", "拖鞋", "슬리퍼", "شبشب"),
            W("Umbrella", "雨伞", "우산", "مظلة"),
            W("Light Bulb", "灯泡", "전구", "مصباح كهربائي"),
            W("Batteries", "电池", "건전지", "بطاريات"),
            W("Candle", "蜡烛", "양초", "شمعة"),
        ),
        (
            ("Pack", ("1 piece", "3 pieces", "10 pieces")),
            ("Colour", ("White", "Blue", "Grey")),
            ("Material", ("Cotton", "Plastic", "Rubber")),
        ),
    ),
    CategorySpec(
        "clothing",
        W("Clothing", "服装", "의류", "الملابس"),
        (
            W("T-shirt", "T恤", "티셔츠", "قميص قطني"),
            W("Jeans", "牛仔裤", "진바지", "جينز"),
            W("Jacket", "夹克", "점퍼", "سترة"),
            W("Coat", "大衣", "바바리", "معطف"),
            W("Socks", "袜子", "양말", "جوارب"),
            W("Gloves", "手套", "벙어리장갑", "قفازات"),
            W("Scarf", "围巾", "머플러", "وشاح"),
            W("Hat", "帽子", "모자", "قبعة"),
            W("Sneakers", "运动鞋", "운동화", "حذاء رياضي"),
            W("Pajamas", "睡衣", "잠옷", "بيجامة"),
            W("Sweater", "毛衣", "니트", "كنزة"),
            W("Vest", "背心", "조끼", "صدرية"),
        ),
        (
            ("Size", ("S", "M", "L", "XL")),
            ("Material", ("Cotton", "Wool", "Polyester")),
            ("Care", ("Machine wash 30 °C", "Hand wash")),
        ),
    ),
    CategorySpec(
        "electronics",
        W("Electronics", "电子产品", "전자제품", "الإلكترونيات"),
        (
            W("Radio", "收音机", "라디오", "راديو"),
            W("Headphones", "耳机", "헤드폰", "سماعات رأس"),
            W("Phone Charger", "手机充电器", "보조배터리", "شاحن هاتف"),
            W("Hair Dryer", "吹风机", "헤어드라이어", "مجفف شعر"),
            W("Electric Fan", "电风扇", "선풍기", "مروحة كهربائية"),
            W("Desk Lamp", "台灯", "스탠드", "مصباح مكتب"),
            W("Clock", "时钟", "시계", "ساعة حائط"),
            W("Speaker", "音箱", "오디오", "مكبر صوت"),
            W("Camera", "相机", "카메라", "كاميرا"),
            W("Heater", "暖风机", "히터", "مدفأة"),
            W("Blender", "搅拌机", "믹서기", "خلاط"),
            W("Remote Control", "遥控器", "리모컨", "جهاز تحكم عن بعد"),
        ),
        (
            ("Power", ("5 W", "20 W", "1200 W")),
            ("Warranty", ("1 year", "2 years")),
            ("Colour", ("Black", "White", "Silver")),
        ),
    ),
    CategorySpec(
        "gift-cards",
        W("Gift Cards", "礼品卡", "상품권", "بطاقات الهدايا"),
        (
            W("Gift Card", "礼品卡", "상품권", "بطاقة هدية"),
            W("Flower Voucher", "鲜花券", "꽃 상품권", "قسيمة زهور"),
            W("Book Voucher", "图书券", "도서상품권", "قسيمة كتب"),
        ),
        (("Valid for", ("1 year", "5 years")), ("Delivery", ("Email", "Post"))),
    ),
)


# --- specification names and values, selling points, reviews -------------------------------------------------

# Every word the specifications use, as (Simplified Chinese, Korean, Arabic). Amounts ("500 g", "6 bottles") are
# translated by UNIT_WORDS below; unit symbols (g, kg, ml, l, W, °C) are international and stay.
TERMS: dict[str, tuple[str, str, str]] = {
    "Allergens": ("过敏原", "알레르기 유발 성분", "مسببات الحساسية"),
    "Baked": ("烘焙", "굽는 시간", "الخَبز"),
    "Care": ("洗护", "세탁 방법", "العناية"),
    "Colour": ("颜色", "색상", "اللون"),
    "Contents": ("内含", "내용량", "المحتوى"),
    "Cooking time": ("烹饪时间", "조리 시간", "وقت الطهي"),
    "Delivery": ("交付方式", "받는 방법", "طريقة التسليم"),
    "Dishwasher safe": ("可用洗碗机", "식기세척기 사용", "آمن في غسالة الصحون"),
    "Fat": ("脂肪", "지방", "الدسم"),
    "Flavour": ("口味", "맛", "النكهة"),
    "Made in": ("产地", "제조국", "بلد الصنع"),
    "Material": ("材质", "소재", "الخامة"),
    "Organic": ("有机", "유기농", "عضوي"),
    "Origin": ("产地", "원산지", "المنشأ"),
    "Pack": ("包装", "포장 단위", "العبوة"),
    "Power": ("功率", "소비 전력", "القدرة"),
    "Size": ("尺寸", "크기", "المقاس"),
    "Storage": ("储存", "보관 방법", "التخزين"),
    "Sugar": ("糖分", "당류", "السكر"),
    "Suitable for": ("适用人群", "대상", "مناسب لـ"),
    "Valid for": ("有效期", "유효 기간", "صالحة لمدة"),
    "Volume": ("容量", "용량", "الحجم"),
    "Warranty": ("保修", "품질 보증", "الضمان"),
    "Weight": ("重量", "중량", "الوزن"),
    "Adults": ("成人", "성인", "البالغون"),
    "Australia": ("澳大利亚", "호주", "أستراليا"),
    "Black": ("黑色", "검정", "أسود"),
    "Blue": ("蓝色", "파랑", "أزرق"),
    "Ceramic": ("陶瓷", "도자기", "سيراميك"),
    "Chile": ("智利", "칠레", "تشيلي"),
    "Chilled": ("冷藏", "냉장", "مبرد"),
    "China": ("中国", "중국", "الصين"),
    "Cotton": ("棉", "면", "قطن"),
    "Daily": ("每天", "매일", "يوميًا"),
    "Email": ("电子邮件", "이메일", "البريد الإلكتروني"),
    "Everyone": ("所有人", "모두", "الجميع"),
    "Frozen": ("冷冻", "냉동", "مجمد"),
    "Germany": ("德国", "독일", "ألمانيا"),
    "Glass": ("玻璃", "유리", "زجاج"),
    "Grey": ("灰色", "회색", "رمادي"),
    "Hand wash": ("手洗", "손세탁", "غسيل يدوي"),
    "Italy": ("意大利", "이탈리아", "إيطاليا"),
    "Japan": ("日本", "일본", "اليابان"),
    "Korea": ("韩国", "한국", "كوريا"),
    "Large": ("大", "대", "كبير"),
    "Local farm": ("本地农场", "국내 농가", "مزرعة محلية"),
    "Low fat": ("低脂", "저지방", "قليل الدسم"),
    "Low sugar": ("低糖", "저당", "قليل السكر"),
    "Medium": ("中", "중", "متوسط"),
    "Milk, soy": ("牛奶、大豆", "우유, 대두", "حليب، صويا"),
    "New Zealand": ("新西兰", "뉴질랜드", "نيوزيلندا"),
    "No": ("否", "아니요", "لا"),
    "No sugar": ("无糖", "무가당", "بدون سكر"),
    "None declared": ("未标注", "해당 없음", "لا يوجد"),
    "Norway": ("挪威", "노르웨이", "النرويج"),
    "Nuts": ("坚果", "견과류", "مكسرات"),
    "Original": ("原味", "오리지널", "أصلي"),
    "Over 60s": ("60岁以上", "60세 이상", "فوق 60 عامًا"),
    "Plastic": ("塑料", "플라스틱", "بلاستيك"),
    "Polyester": ("涤纶", "폴리에스터", "بوليستر"),
    "Post": ("邮寄", "우편", "البريد"),
    "Refrigerate": ("冷藏保存", "냉장 보관", "يحفظ في الثلاجة"),
    "Refrigerate at 0-10 °C": ("0-10 °C 冷藏", "0-10 °C 냉장 보관", "يحفظ في الثلاجة عند 0-10 °C"),
    "Regular": ("常规", "일반", "عادي"),
    "Room temperature": ("常温", "실온", "درجة حرارة الغرفة"),
    "Rubber": ("橡胶", "고무", "مطاط"),
    "Silver": ("银色", "은색", "فضي"),
    "Skimmed": ("脱脂", "무지방", "منزوع الدسم"),
    "Small": ("小", "소", "صغير"),
    "Spain": ("西班牙", "스페인", "إسبانيا"),
    "Spicy": ("辣味", "매운맛", "حار"),
    "Stainless steel": ("不锈钢", "스테인리스", "فولاذ مقاوم للصدأ"),
    "Sweet": ("甜味", "단맛", "حلو"),
    "Twice daily": ("每天两次", "하루 두 번", "مرتين يوميًا"),
    "USA": ("美国", "미국", "الولايات المتحدة"),
    "Wheat": ("小麦", "밀", "قمح"),
    "Wheat, milk, eggs": ("小麦、牛奶、鸡蛋", "밀, 우유, 달걀", "قمح، حليب، بيض"),
    "Wheat, nuts": ("小麦、坚果", "밀, 견과류", "قمح، مكسرات"),
    "White": ("白色", "흰색", "أبيض"),
    "Whole": ("全脂", "일반 우유", "كامل الدسم"),
    "Wood": ("木", "나무", "خشب"),
    "Wool": ("羊毛", "울", "صوف"),
    "Yes": ("是", "예", "نعم"),
    "Machine wash 30 °C": ("30 °C 机洗", "30 °C 세탁기 사용", "غسيل آلي على 30 °C"),
}

# "N word" amounts: (singular English, plural English) -> (Chinese, Korean, Arabic) templates with {n}.
UNIT_WORDS: dict[str, tuple[str, str, str]] = {
    "bottle": ("{n} 瓶", "{n}병", "{n} زجاجة"),
    "bottles": ("{n} 瓶", "{n}병", "{n} زجاجات"),
    "piece": ("{n} 件", "{n}개", "{n} قطعة"),
    "pieces": ("{n} 件", "{n}개", "{n} قطع"),
    "minutes": ("{n} 分钟", "{n}분", "{n} دقائق"),
    "count": ("{n} 粒", "{n}정", "{n} حبة"),
    "year": ("{n} 年", "{n}년", "سنة واحدة"),
    "years": ("{n} 年", "{n}년", "{n} سنوات"),
}

# Selling points and descriptions, as templates with {brand}, {item}, {category}.
PHRASES: dict[str, tuple[str, str, str, str]] = {
    "quality": (
        "Trusted {brand} quality",
        "{brand}品质保证",
        "믿을 수 있는 {brand} 품질",
        "جودة {brand} الموثوقة",
    ),
    "returns": (
        "Free returns within 30 days",
        "30天内免费退货",
        "30일 무료 반품",
        "إرجاع مجاني خلال 30 يومًا",
    ),
    "description": (
        "{item} from {brand}, chosen for everyday quality. Part of our {category} range.",
        "{brand}出品的{item}，品质可靠，适合日常。属于我们的{category}系列。",
        "{brand}의 {item}. 매일 쓰기 좋은 품질입니다. {category} 상품입니다.",
        "{item} من {brand}، مختار لجودته في الاستخدام اليومي. من تشكيلة {category} لدينا.",
    ),
}

# Seeded reviews, by star rating (5 first), as (title, body) in each language.
REVIEWS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("Great value", "Exactly as described, would buy again."),
        ("Good", "Does the job well."),
        ("Fine", "Okay for the price."),
        ("Not great", "Smaller than I expected."),
        ("Disappointed", "Arrived damaged."),
    ),
    "zh-hans": (
        ("物超所值", "和描述的一模一样，还会再买。"),
        ("不错", "很好用。"),
        ("还行", "这个价格可以接受。"),
        ("一般", "比我想象的小。"),
        ("失望", "收到时已经损坏。"),
    ),
    "ko": (
        ("가성비 최고", "설명 그대로예요. 또 살게요."),
        ("좋아요", "제 역할을 잘해요."),
        ("괜찮아요", "가격 대비 무난해요."),
        ("별로예요", "생각보다 작아요."),
        ("실망했어요", "파손된 채로 왔어요."),
    ),
    "ar": (
        ("قيمة ممتازة", "تمامًا كما في الوصف، سأشتريه مرة أخرى."),
        ("جيد", "يؤدي الغرض جيدًا."),
        ("مقبول", "مناسب لسعره."),
        ("ليس رائعًا", "أصغر مما توقعت."),
        ("مخيب للآمال", "وصل تالفًا."),
    ),
}
# Reviewers' first names, per language of their reviews.
REVIEWERS: dict[str, tuple[str, ...]] = {
    "en": ("Emma", "Oliver", "Grace", "Daniel", "Chloe", "Sam"),
    "zh-hans": ("王芳", "李伟", "张敏", "刘洋", "陈静", "杨磊"),
    "ko": ("김지은", "이민호", "박서연", "최준호", "정하늘", "강다은"),
    "ar": ("ليلى", "أحمد", "فاطمة", "يوسف", "مريم", "خالد"),
}
